/**
 * The screens of the demo app in the admin's app preview (/apps/:appId/preview). Their ids are
 * what analytics triggers filter on (`where.data._pageId`); the demo app's seeded client action
 * listens for the Bookings screen.
 */
export interface PreviewScreen {
  id: number;
  title: string;
  /** One line under the title in the preview. */
  blurb: string;
}

export const HOME_SCREEN: PreviewScreen = {
  id: 101,
  title: 'Home',
  blurb: 'Welcome back. Your next booking is on Monday.',
};

export const BOOKINGS_SCREEN: PreviewScreen = {
  id: 102,
  title: 'Bookings',
  blurb: 'Upcoming bookings. Confirm one to send an analytics event.',
};

export const PROFILE_SCREEN: PreviewScreen = {
  id: 103,
  title: 'Profile',
  blurb: 'Signed in as ada@example.com.',
};

export const previewScreens: readonly PreviewScreen[] = [
  HOME_SCREEN,
  BOOKINGS_SCREEN,
  PROFILE_SCREEN,
];
